# nhi-census container image: docker build -t nhi-census:0.1.0 .
# Runs as the unprivileged `node` user in /data (a volume: the database, reports, config and inventory live there).
#   docker run --rm -v nhi-data:/data nhi-census:0.1.0 demo
# The RUN steps are scripts/image.sh, which CI also runs in a clean directory (scripts/image-check.sh).

FROM node:20-bookworm-slim AS build
# a compiler for better-sqlite3 when no prebuilt binary can be downloaded
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN sh scripts/image.sh build /opt/nhi-census

FROM node:20-bookworm-slim
ENV NODE_ENV=production
COPY --from=build /opt/nhi-census /opt/nhi-census
COPY scripts/image.sh /tmp/image.sh
RUN sh /tmp/image.sh runtime / node && rm /tmp/image.sh
USER node
WORKDIR /data
VOLUME /data
ENTRYPOINT ["nhi-census"]
CMD ["--help"]
