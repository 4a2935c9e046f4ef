FROM golang:1.21-alpine AS builder
WORKDIR /app
COPY go.* ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o api ./cmd/api

# Runtime image: only the binary and the files it needs at run time.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=builder /app/api ./api
COPY --from=builder /app/configs ./configs
EXPOSE 8080
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER nonroot
CMD ["./api"]
