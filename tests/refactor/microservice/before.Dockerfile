FROM golang:1.21-alpine
WORKDIR /app
COPY go.* ./
RUN go mod download
COPY . .
RUN go build -o api ./cmd/api
EXPOSE 8080
CMD ["./api"]
