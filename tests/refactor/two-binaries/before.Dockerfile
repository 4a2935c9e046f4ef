FROM golang:1.23-alpine
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The server and the migration tool it runs before starting
RUN cd cmd/migrate && go build -o /bin/migrate . \
    && cd ../server && go build -o /bin/server .
EXPOSE 8080
ENTRYPOINT ["/bin/server"]
