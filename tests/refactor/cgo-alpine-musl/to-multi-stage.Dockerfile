FROM golang:1.22-alpine AS builder
RUN apk add --no-cache gcc musl-dev
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -o /app/server .

# Runtime image: only the binary and the files it needs at run time.
FROM alpine:3.24
RUN apk --no-cache add ca-certificates
RUN adduser -D -g '' appuser
WORKDIR /app
COPY --from=builder /app/server ./server
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER appuser
CMD ["/app/server"]
