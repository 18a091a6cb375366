module herald.example/receiver

go 1.19
