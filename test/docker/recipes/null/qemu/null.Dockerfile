# Test recipe: the project's null guest (guests/null, built by the test and
# added to the build context as null.elf) with its boot manifest. FROM scratch,
# so that it builds without any registry.
FROM scratch
COPY null.elf /benchmark/null.elf
COPY manifest.json /benchmark/manifest.json
