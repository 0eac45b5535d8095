# Test recipe: a build that fails at its second step.
FROM scratch
COPY workloads/hello.c /hello.c
COPY file-that-is-not-in-the-context /nowhere
