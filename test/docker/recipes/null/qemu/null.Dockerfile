# Test recipe: the project's null guest (guests/null, built by the test and
# added to the build context as null.elf) with its boot manifest. FROM scratch,
# so that it builds without any registry.
FROM scratch
# Every image and layer a test run builds carries its own run's label: its clean-up removes
# those, and no other run's (the same recipe built by another run is another image).
ARG BENCHMARK_TOOL_TEST_RUN
LABEL benchmark-tool.test=${BENCHMARK_TOOL_TEST_RUN}
COPY null.elf /benchmark/null.elf
COPY manifest.json /benchmark/manifest.json
