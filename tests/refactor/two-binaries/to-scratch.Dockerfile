FROM golang:1.23-alpine AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The server and the migration tool it runs before starting
RUN cd cmd/migrate && CGO_ENABLED=0 go build -o /bin/migrate . \
    && cd ../server && CGO_ENABLED=0 go build -o /bin/server .

# Runtime image: only the binary and the files it needs at run time.
FROM scratch
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
WORKDIR /src
COPY --from=builder /bin/server /bin/server
COPY --from=builder /bin/migrate /bin/migrate
EXPOSE 8080
# The app now runs as a non-root user: a folder it writes to must belong to that user (COPY --chown).
USER 65532:65532
ENTRYPOINT ["/bin/server"]
