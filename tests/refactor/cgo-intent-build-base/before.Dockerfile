# No go.mod to read, no CGO_ENABLED: but the builder installs a C toolchain its base
# image lacks, which only a cgo build needs. Forcing CGO_ENABLED=0 could break it
# (go-sqlite3: "requires cgo"), so scratch is declined and the musl runtime is kept.
FROM golang:1.22-alpine AS builder
RUN apk add --no-cache build-base
WORKDIR /build
COPY . .
RUN go build -o main .

FROM alpine:3.20
COPY --from=builder /build/main /app/
WORKDIR /app
USER 65532:65532
CMD ["./main"]
