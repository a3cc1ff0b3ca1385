module github.com/acme/notes-sync

go 1.22

require (
	github.com/boltdb-go/bolt v1.3.1
	github.com/go-chi/chi/v5 v5.1.0
	github.com/jackc/pgx/v5 v5.6.0
	github.com/sirupsen/logrus v1.9.3
	github.com/stretchr/testify v1.9.0
	go.uber.org/zap v1.27.0
)
