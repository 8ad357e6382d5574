package views

import (
	"encoding/csv"
	"io"

	"sgconsole/models"
)

// CredentialsCSVHeader is the header row of credentials.csv. Scripts read these columns by name:
// keep them, and add new ones at the end.
var CredentialsCSVHeader = []string{"username", "password", "account_id", "access_key_id", "secret_access_key", "console_url"}

// WriteCredentialsCSV writes credentials.csv: the header row, then one row per trainee.
func WriteCredentialsCSV(w io.Writer, creds []models.TraineeCredentials) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CredentialsCSVHeader); err != nil {
		return err
	}
	for _, c := range creds {
		if err := cw.Write([]string{c.Username, c.Password, c.AccountID, c.AccessKeyID, c.SecretAccessKey, c.ConsoleURL}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
