FROM golang:1.22
WORKDIR /app
COPY . .
RUN CGO_ENABLED=1 go build -o /app/server .
CMD ["/app/server"]
