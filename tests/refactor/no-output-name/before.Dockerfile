FROM golang:1.22-alpine
WORKDIR /go/src/app
COPY . .
RUN go build
CMD ["./app"]
