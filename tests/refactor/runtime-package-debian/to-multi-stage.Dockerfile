FROM golang:1.23-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends libvips42 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/thumbs .

# Runtime image: only the binary and the files it needs at run time.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libvips42 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY --from=builder /usr/local/bin/thumbs /usr/local/bin/thumbs
USER nobody
ENTRYPOINT ["thumbs"]
