# Test recipe: a manifest without its kernel field.
FROM scratch
COPY manifest.json /benchmark/manifest.json
