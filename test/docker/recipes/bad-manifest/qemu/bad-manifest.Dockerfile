# Test recipe: a manifest without its kernel field.
FROM scratch
# Every image and layer the tests build carries it: their clean-up removes only those.
LABEL benchmark-tool.test=1
COPY manifest.json /benchmark/manifest.json
