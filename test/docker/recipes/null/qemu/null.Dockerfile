# Test recipe: the project's null guest (guests/null, built by the test and
# added to the build context as null.elf) with its boot manifest. FROM scratch,
# so that it builds without any registry.
FROM scratch
# Every image and layer the tests build carries it: their clean-up removes only those.
LABEL benchmark-tool.test=1
COPY null.elf /benchmark/null.elf
COPY manifest.json /benchmark/manifest.json
