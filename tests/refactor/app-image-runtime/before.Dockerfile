FROM golang:1.23-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/confgen ./cmd/confgen

# nginx serves the site; confgen writes its configuration at start-up
FROM nginx:1.27-alpine
COPY --from=build /out/confgen /usr/local/bin/confgen
CMD ["sh", "-c", "confgen && exec nginx -g 'daemon off;'"]
