FROM golang:1.22 AS builder
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /app/api .

# Runtime image: only the binary and the files it needs at run time.
FROM alpine:3.24
RUN apk --no-cache add ca-certificates curl
RUN adduser -D -g '' appuser
WORKDIR /app
COPY --from=builder /app/api ./api
EXPOSE 8080
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER appuser
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD curl -f http://localhost:8080/health || exit 1
CMD ["/app/api"]
