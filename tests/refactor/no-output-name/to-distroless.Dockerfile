FROM golang:1.22-alpine AS builder
WORKDIR /go/src/app
COPY go.* ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build

# Runtime image: only the binary and the files it needs at run time.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /go/src/app
COPY --from=builder /go/src/app/app ./app
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER nonroot
CMD ["./app"]
