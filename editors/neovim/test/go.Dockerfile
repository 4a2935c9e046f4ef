# A single-stage Go build: the image that runs the app is the whole Go toolchain.
from golang:1.22
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /usr/local/bin/app ./cmd/app
CMD ["app"]
