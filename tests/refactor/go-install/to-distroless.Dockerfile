FROM golang:1.22 AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go install ./cmd/server

# Runtime image: only the binary and the files it needs at run time.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=builder /go/bin/server /usr/local/bin/server
EXPOSE 8080
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER nonroot
CMD ["server"]
