# Test recipe: a build that fails at its second step.
FROM scratch
# Every image and layer a test run builds carries its own run's label: its clean-up removes
# those, and no other run's (the same recipe built by another run is another image).
ARG BENCHMARK_TOOL_TEST_RUN
LABEL benchmark-tool.test=${BENCHMARK_TOOL_TEST_RUN}
COPY workloads/hello.c /hello.c
COPY file-that-is-not-in-the-context /nowhere
