# The guide's first Dockerfile: one stage on the Go toolchain.
FROM golang:1.21-alpine

# Set the working directory
WORKDIR /app
COPY . .

RUN go mod download
RUN go build -o main .

EXPOSE 8080
CMD ["./main"]
