# Test recipe: a build that fails at its second step.
FROM scratch
# Every image and layer the tests build carries it: their clean-up removes only those.
LABEL benchmark-tool.test=1
COPY workloads/hello.c /hello.c
COPY file-that-is-not-in-the-context /nowhere
