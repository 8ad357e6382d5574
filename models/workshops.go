package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// MaxTrainees bounds one workshop.
const MaxTrainees = 500

// Workshop defaults and error codes.
const (
	DefaultTraineePrefix = "trainee"
	DefaultConsoleURL    = "http://127.0.0.1:8080"

	CodeWorkshopNotFound      = "WorkshopNotFound"
	CodeWorkshopAlreadyExists = "WorkshopAlreadyExists"
	CodeTraineeNotFound       = "WorkshopTraineeNotFound"
)

// workshopBatch is how many rows one INSERT carries (well under SQLite's and PostgreSQL's limits
// on bound parameters).
const workshopBatch = 100

var (
	workshopNamePattern = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)
	traineePrefixRule   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)
)

// Workshop is a set of sandbox accounts, one member user per trainee, made in one go for a class.
type Workshop struct {
	ID         uint   `gorm:"primaryKey"`
	Name       string `gorm:"size:64;not null;uniqueIndex"`
	Prefix     string `gorm:"size:32;not null"`
	LabIDs     string `gorm:"size:1024;not null"` // the labs of the workshop, comma-separated, in order
	ConsoleURL string `gorm:"size:255;not null"`
	CreatedAt  time.Time
}

// TableName keeps the schema explicit.
func (Workshop) TableName() string { return "workshops" }

// LabIDList is LabIDs as a list, in order (empty for a workshop of the demo data alone).
func (w Workshop) LabIDList() []string {
	if w.LabIDs == "" {
		return nil
	}
	return strings.Split(w.LabIDs, ",")
}

// WorkshopTrainee ties a trainee's user and sandbox account to a workshop. The first password is
// kept encrypted (like access key secrets) so the credentials CSV and cards can be downloaded again.
type WorkshopTrainee struct {
	ID                 uint   `gorm:"primaryKey"`
	WorkshopID         uint   `gorm:"not null;index"`
	Number             int    `gorm:"not null"`
	UserID             uint   `gorm:"not null;uniqueIndex"`
	User               User   `gorm:"constraint:OnDelete:CASCADE"`
	AccountID          string `gorm:"size:12;not null;uniqueIndex"`
	AccessKeyID        string `gorm:"size:20;not null"`
	PasswordCiphertext []byte `gorm:"not null"`
}

// TableName keeps the schema explicit.
func (WorkshopTrainee) TableName() string { return "workshop_trainees" }

// NewWorkshop is what creating a workshop takes.
type NewWorkshop struct {
	Name       string // "" for a generated one
	Trainees   int    // 1 to MaxTrainees
	Prefix     string // user names are PREFIX-01 ... (default "trainee")
	ConsoleURL string // printed on the cards
	Labs       []Lab  // the workshop's labs, whose setups seed every sandbox
}

// TraineeCredentials is one row of credentials.csv and one printed card.
type TraineeCredentials struct {
	Username        string
	Password        string
	AccountID       string
	AccessKeyID     string
	SecretAccessKey string
	ConsoleURL      string
}

// WorkshopSummary is one line of the list of workshops.
type WorkshopSummary struct {
	Workshop
	Trainees int
}

// ValidateWorkshopName checks a workshop name: 1-64 lower-case letters, digits and hyphens.
func ValidateWorkshopName(name string) error {
	if !workshopNamePattern.MatchString(name) {
		return fieldError(CodeInvalidParameterValue, "name", "A workshop name is 1 to 64 lower-case letters, digits and hyphens.")
	}
	return nil
}

// Normalize fills in the defaults (prefix, console URL) and checks every field but the name's
// uniqueness, so the command line can refuse bad input before it opens the database. An empty Name
// stays empty: CreateWorkshop generates it.
func (n NewWorkshop) Normalize() (NewWorkshop, error) {
	if n.Prefix == "" {
		n.Prefix = DefaultTraineePrefix
	}
	if n.ConsoleURL == "" {
		n.ConsoleURL = DefaultConsoleURL
	}
	n.ConsoleURL = strings.TrimRight(n.ConsoleURL, "/")
	var fields []FieldError
	add := func(field, msg string, args ...any) {
		fields = append(fields, FieldError{Field: field, Message: fmt.Sprintf(msg, args...)})
	}
	if n.Trainees < 1 || n.Trainees > MaxTrainees {
		add("trainees", "A workshop has 1 to %d trainees.", MaxTrainees)
	}
	if n.Name != "" && ValidateWorkshopName(n.Name) != nil {
		add("name", "A workshop name is 1 to 64 lower-case letters, digits and hyphens.")
	}
	if !traineePrefixRule.MatchString(n.Prefix) {
		add("prefix", "A user name prefix is 1 to 32 letters, digits and . _ -, starting with a letter or digit.")
	}
	if u, err := url.Parse(n.ConsoleURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || len(n.ConsoleURL) > 255 || strings.ContainsAny(n.ConsoleURL, " \t\r\n'\"<>\\") || CleanText(n.ConsoleURL) != "" || HasControl(n.ConsoleURL) {
		add("console_url", "The console URL is an http:// or https:// URL with a host, such as %s.", DefaultConsoleURL)
	}
	ids := make([]string, 0, len(n.Labs))
	seen := map[string]bool{}
	for _, l := range n.Labs {
		if l.ID == "" || strings.Contains(l.ID, ",") || seen[l.ID] {
			add("labs", "Lab IDs must be unique and without commas (lab %q).", l.ID)
			break
		}
		seen[l.ID] = true
		ids = append(ids, l.ID)
	}
	if len(strings.Join(ids, ",")) > 1024 {
		add("labs", "Too many labs for one workshop: their IDs take more than 1024 characters.")
	}
	if len(fields) > 0 {
		return n, &Error{Code: CodeInvalidParameterValue, Message: fields[0].Message, Fields: fields}
	}
	return n, nil
}

// traineeNumbers returns the numbers and width of a new workshop's user names: 1..n, unless some
// user already has such a PREFIX-NUMBER name (a second workshop with the same prefix): then the
// numbers continue after the highest one taken, so no existing user is ever touched.
func traineeNumbers(db *gorm.DB, prefix string, n int) (first, width int, err error) {
	var names []string
	if err := db.Model(&User{}).Where("LOWER(username) LIKE ?", strings.ToLower(prefix)+"-%").Pluck("username", &names).Error; err != nil {
		return 0, 0, err
	}
	highest, clash := 0, false
	for _, name := range names {
		if len(name) <= len(prefix)+1 || !strings.EqualFold(name[:len(prefix)], prefix) || name[len(prefix)] != '-' {
			continue
		}
		num, err := strconv.Atoi(name[len(prefix)+1:])
		if err != nil || num < 0 || strings.ContainsAny(name[len(prefix)+1:], "+-") {
			continue
		}
		highest = max(highest, num)
		if num >= 1 && num <= n {
			clash = true
		}
	}
	first = 1
	if clash {
		first = highest + 1
	}
	width = max(2, len(strconv.Itoa(first+n-1)))
	return first, width, nil
}

func traineeUsername(prefix string, width, number int) string {
	return fmt.Sprintf("%s-%0*d", prefix, width, number)
}

// hashPasswords hashes every password with bcrypt on all CPUs: at the default cost this is most of
// the time a large workshop takes, so it runs before the transaction opens.
func (s *Store) hashPasswords(passwords []string) ([]string, error) {
	hashes := make([]string, len(passwords))
	errs := make([]error, len(passwords))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.NumCPU()) {
		wg.Go(func() {
			for i := range next {
				hashes[i], errs[i] = s.hashPassword(passwords[i])
			}
		})
	}
	for i := range passwords {
		next <- i
	}
	close(next)
	wg.Wait()
	return hashes, errors.Join(errs...)
}

// newSecretAccessKey is a random secret that does not start with + or /, so credentials.csv
// opens in a spreadsheet without a secret being taken for a formula.
func newSecretAccessKey() string {
	for {
		secret := randomFrom(secretAccessKeyAlphabet, secretAccessKeyLength)
		if secret[0] != '+' && secret[0] != '/' {
			return secret
		}
	}
}

// newAccountIDs picks n distinct random account IDs that are not taken (never the demo's).
func newAccountIDs(tx *gorm.DB, n int) ([]string, error) {
	ids := make([]string, 0, n)
	chosen := map[string]bool{DefaultAccountID: true}
	for len(ids) < n {
		var batch []string
		for len(ids)+len(batch) < n {
			id := "1" + randomFrom("0123456789", 11)
			if !chosen[id] {
				chosen[id] = true
				batch = append(batch, id)
			}
		}
		var taken []string
		for part := range slices.Chunk(batch, 500) {
			var got []string
			if err := tx.Model(&Account{}).Where("id IN ?", part).Pluck("id", &got).Error; err != nil {
				return nil, err
			}
			taken = append(taken, got...)
		}
		for _, id := range batch {
			if !slices.Contains(taken, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids, nil
}

// createAccounts creates fresh accounts as ensureAccount does (every region EC2-Classic, with its
// default cache security group), a batch of rows at a time.
func createAccounts(tx *gorm.DB, ids []string, now time.Time) error {
	accounts := make([]Account, 0, len(ids))
	regions := make([]RegionSetting, 0, len(ids)*len(Regions))
	groups := make([]CacheSecurityGroup, 0, len(ids)*len(Regions))
	for _, id := range ids {
		accounts = append(accounts, Account{ID: id, CreatedAt: now})
		for _, region := range Regions {
			regions = append(regions, RegionSetting{AccountID: id, Region: region, Platform: PlatformClassic, UpdatedAt: now})
			groups = append(groups, CacheSecurityGroup{AccountID: id, Region: region, Name: DefaultGroupName, Description: DefaultGroupName, CreatedAt: now})
		}
	}
	if err := tx.CreateInBatches(&accounts, workshopBatch).Error; err != nil {
		return err
	}
	if err := tx.CreateInBatches(&regions, workshopBatch).Error; err != nil {
		return err
	}
	return tx.CreateInBatches(&groups, workshopBatch).Error
}

func findWorkshop(db *gorm.DB, name string) (Workshop, error) {
	var w Workshop
	if ValidateWorkshopName(name) != nil {
		return w, newError(CodeWorkshopNotFound, "Workshop %s not found.", name)
	}
	err := db.Where("name = ?", name).Take(&w).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return w, newError(CodeWorkshopNotFound, "Workshop %s not found.", name)
	}
	return w, err
}

func workshopExists(db *gorm.DB, name string) (bool, error) {
	var n int64
	err := db.Model(&Workshop{}).Where("name = ?", name).Count(&n).Error
	return n > 0, err
}

// CreateWorkshop makes the sandboxes, users and keys of a workshop and returns every trainee's
// credentials (the only time passwords and secrets leave the store in the clear, besides
// WorkshopCredentials for admins).
//
// Passwords are hashed on every CPU before the transaction; then accounts, users, keys and trainee
// rows go in by batches, and every sandbox is seeded with the labs' starting data, all in one
// transaction: a failure leaves nothing behind. Existing users are never changed: when PREFIX-01...
// are taken (a second workshop with the same prefix), the numbers continue after the highest one.
func (s *Store) CreateWorkshop(ctx context.Context, n NewWorkshop) (Workshop, []TraineeCredentials, error) {
	n, err := n.Normalize()
	if err != nil {
		return Workshop{}, nil, err
	}
	db := s.db.WithContext(ctx)
	if n.Name == "" {
		base := "workshop-" + s.now().Format("20060102-150405")
		n.Name = base
		for i := 2; ; i++ {
			taken, err := workshopExists(db, n.Name)
			if err != nil {
				return Workshop{}, nil, wrap("create workshop", err)
			}
			if !taken {
				break
			}
			n.Name = fmt.Sprintf("%s-%d", base, i)
		}
	} else if taken, err := workshopExists(db, n.Name); err != nil || taken {
		if err != nil {
			return Workshop{}, nil, wrap("create workshop", err)
		}
		return Workshop{}, nil, fieldError(CodeWorkshopAlreadyExists, "name", "A workshop named %s already exists.", n.Name)
	}
	first, width, err := traineeNumbers(db, n.Prefix, n.Trainees)
	if err != nil {
		return Workshop{}, nil, wrap("create workshop", err)
	}

	// Everything random, hashed and sealed is ready before the transaction opens, so the
	// database is locked for the inserts alone.
	creds := make([]TraineeCredentials, n.Trainees)
	passwords := make([]string, n.Trainees)
	for i := range creds {
		creds[i] = TraineeCredentials{
			Username:        traineeUsername(n.Prefix, width, first+i),
			Password:        RandomPassword(),
			AccessKeyID:     "AKIA" + randomFrom(accessKeyIDAlphabet, accessKeyIDRandomSymbols),
			SecretAccessKey: newSecretAccessKey(),
			ConsoleURL:      n.ConsoleURL,
		}
		passwords[i] = creds[i].Password
	}
	hashes, err := s.hashPasswords(passwords)
	if err != nil {
		return Workshop{}, nil, wrap("create workshop", err)
	}
	sealedPasswords := make([][]byte, n.Trainees)
	sealedSecrets := make([][]byte, n.Trainees)
	for i, c := range creds {
		if sealedPasswords[i], err = s.seal(c.Username, c.Password); err != nil {
			return Workshop{}, nil, wrap("create workshop", err)
		}
		if sealedSecrets[i], err = s.seal(c.AccessKeyID, c.SecretAccessKey); err != nil {
			return Workshop{}, nil, wrap("create workshop", err)
		}
	}
	labIDs := make([]string, len(n.Labs))
	for i, l := range n.Labs {
		labIDs[i] = l.ID
	}

	now := s.now()
	w := Workshop{Name: n.Name, Prefix: n.Prefix, LabIDs: strings.Join(labIDs, ","), ConsoleURL: n.ConsoleURL, CreatedAt: now}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockUsers(tx); err != nil {
			return err
		}
		if taken, err := workshopExists(tx, n.Name); err != nil || taken {
			if err != nil {
				return err
			}
			return fieldError(CodeWorkshopAlreadyExists, "name", "A workshop named %s already exists.", n.Name)
		}
		names := make([]string, len(creds))
		for i, c := range creds {
			names[i] = strings.ToLower(c.Username)
		}
		var clash []string
		if err := tx.Model(&User{}).Where("LOWER(username) IN ?", names).Limit(1).Pluck("username", &clash).Error; err != nil {
			return err
		}
		if len(clash) > 0 {
			return fieldError(CodeEntityAlreadyExists, "prefix", "A user named %s already exists; try again, or choose another prefix.", clash[0])
		}
		accountIDs, err := newAccountIDs(tx, n.Trainees)
		if err != nil {
			return err
		}
		if err := createAccounts(tx, accountIDs, now); err != nil {
			return err
		}
		users := make([]User, n.Trainees)
		for i, c := range creds {
			creds[i].AccountID = accountIDs[i]
			users[i] = User{Username: c.Username, AccountID: accountIDs[i], Role: RoleMember, PasswordHash: hashes[i], CreatedAt: now}
		}
		if err := tx.CreateInBatches(&users, workshopBatch).Error; err != nil {
			return err
		}
		keys := make([]AccessKey, n.Trainees)
		trainees := make([]WorkshopTrainee, n.Trainees)
		if err := tx.Create(&w).Error; err != nil {
			return err
		}
		for i, c := range creds {
			if users[i].ID == 0 {
				return errors.New("models: batch insert returned no user IDs")
			}
			keys[i] = AccessKey{AccessKeyID: c.AccessKeyID, UserID: users[i].ID, SecretCiphertext: sealedSecrets[i], CreatedAt: now}
			trainees[i] = WorkshopTrainee{WorkshopID: w.ID, Number: i + 1, UserID: users[i].ID, AccountID: accountIDs[i],
				AccessKeyID: c.AccessKeyID, PasswordCiphertext: sealedPasswords[i]}
		}
		if err := tx.CreateInBatches(&keys, workshopBatch).Error; err != nil {
			return err
		}
		// Omit the User association: the users are already in.
		if err := tx.Omit("User").CreateInBatches(&trainees, workshopBatch).Error; err != nil {
			return err
		}
		for _, id := range accountIDs {
			if err := s.seedSandbox(tx, id, n.Labs); err != nil {
				return fmt.Errorf("seed sandbox %s: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return Workshop{}, nil, newError(CodeEntityAlreadyExists, "Another workshop or user was created with the same name at the same time; try again.")
		}
		return Workshop{}, nil, wrap("create workshop", err)
	}
	return w, creds, nil
}

// ListWorkshops returns every workshop with its number of trainees, newest first.
func (s *Store) ListWorkshops(ctx context.Context) ([]WorkshopSummary, error) {
	db := s.db.WithContext(ctx)
	var workshops []Workshop
	if err := db.Order("created_at DESC, id DESC").Find(&workshops).Error; err != nil {
		return nil, wrap("list workshops", err)
	}
	var counts []struct {
		WorkshopID uint
		N          int
	}
	if err := db.Model(&WorkshopTrainee{}).Select("workshop_id, COUNT(*) AS n").Group("workshop_id").Scan(&counts).Error; err != nil {
		return nil, wrap("list workshops", err)
	}
	byID := map[uint]int{}
	for _, c := range counts {
		byID[c.WorkshopID] = c.N
	}
	out := make([]WorkshopSummary, len(workshops))
	for i, w := range workshops {
		out[i] = WorkshopSummary{Workshop: w, Trainees: byID[w.ID]}
	}
	return out, nil
}

// GetWorkshop returns a workshop and its trainees (with their users), in trainee order.
func (s *Store) GetWorkshop(ctx context.Context, name string) (Workshop, []WorkshopTrainee, error) {
	db := s.db.WithContext(ctx)
	w, err := findWorkshop(db, name)
	if err != nil {
		return w, nil, wrap("get workshop", err)
	}
	var trainees []WorkshopTrainee
	if err := db.Preload("User").Where("workshop_id = ?", w.ID).Order("number, id").Find(&trainees).Error; err != nil {
		return w, nil, wrap("get workshop", err)
	}
	return w, trainees, nil
}

// WorkshopCredentials returns the credentials of a workshop's trainees again, for the downloads:
// the password given at creation (or at the last ResetTraineePassword) and the access key pair.
// A key the trainee has deleted since is left out (empty ID and secret).
func (s *Store) WorkshopCredentials(ctx context.Context, name string) (Workshop, []TraineeCredentials, error) {
	w, trainees, err := s.GetWorkshop(ctx, name)
	if err != nil {
		return w, nil, err
	}
	keyIDs := make([]string, len(trainees))
	for i, t := range trainees {
		keyIDs[i] = t.AccessKeyID
	}
	sealed := map[string][]byte{}
	for part := range slices.Chunk(keyIDs, 500) {
		var keys []AccessKey
		if err := s.db.WithContext(ctx).Where("access_key_id IN ?", part).Find(&keys).Error; err != nil {
			return w, nil, wrap("workshop credentials", err)
		}
		for _, k := range keys {
			sealed[k.AccessKeyID] = k.SecretCiphertext
		}
	}
	out := make([]TraineeCredentials, len(trainees))
	for i, t := range trainees {
		password, err := s.open(t.User.Username, t.PasswordCiphertext)
		if err != nil {
			return w, nil, wrap("workshop credentials", err)
		}
		c := TraineeCredentials{Username: t.User.Username, Password: password, AccountID: t.AccountID, ConsoleURL: w.ConsoleURL}
		if ct, ok := sealed[t.AccessKeyID]; ok {
			secret, err := s.open(t.AccessKeyID, ct)
			if err != nil {
				return w, nil, wrap("workshop credentials", err)
			}
			c.AccessKeyID, c.SecretAccessKey = t.AccessKeyID, secret
		}
		out[i] = c
	}
	return w, out, nil
}

// findTrainee finds one trainee of a workshop by user name (ignoring case).
func findTrainee(db *gorm.DB, w Workshop, username string) (WorkshopTrainee, error) {
	var t WorkshopTrainee
	err := db.Preload("User").Joins("JOIN users ON users.id = workshop_trainees.user_id").
		Where("workshop_trainees.workshop_id = ? AND LOWER(users.username) = LOWER(?)", w.ID, username).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return t, newError(CodeTraineeNotFound, "Workshop %s has no trainee named %s.", w.Name, username)
	}
	return t, err
}

// ResetTraineePassword gives a trainee a new random password, keeps it (sealed) for the
// credentials downloads, and ends the trainee's sessions. It returns the password to show once.
func (s *Store) ResetTraineePassword(ctx context.Context, workshopName, username string) (string, error) {
	password := RandomPassword()
	hash, err := s.hashPassword(password)
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		w, err := findWorkshop(tx, workshopName)
		if err != nil {
			return err
		}
		t, err := findTrainee(tx, w, username)
		if err != nil {
			return err
		}
		sealed, err := s.seal(t.User.Username, password)
		if err != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", t.UserID).Update("password_hash", hash).Error; err != nil {
			return err
		}
		if err := tx.Model(&WorkshopTrainee{}).Where("id = ?", t.ID).Update("password_ciphertext", sealed).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ?", t.UserID).Delete(&Session{}).Error
	})
	if err != nil {
		return "", wrap("reset trainee password", err)
	}
	return password, nil
}

// WorkshopLabs picks a workshop's labs, in the workshop's order, out of the labs loaded now (the
// catalog: built-in labs and those of --labs DIR). A lab that is no longer loaded is an error,
// since resetting without it would seed a different starting point.
func WorkshopLabs(w Workshop, catalog []Lab) ([]Lab, error) {
	ids := w.LabIDList()
	labs := make([]Lab, 0, len(ids))
	for _, id := range ids {
		i := slices.IndexFunc(catalog, func(l Lab) bool { return l.ID == id })
		if i < 0 {
			return nil, newError(CodeInvalidParameterValue, "Lab %s of workshop %s is not loaded: start with the --labs directory the workshop was created with.", id, w.Name)
		}
		labs = append(labs, catalog[i])
	}
	return labs, nil
}

// ResetWorkshop puts the sandbox of one trainee (by user name), or of every trainee when trainee is
// "", back to its starting data, in one transaction. Users, passwords and access keys stay. labs is
// the catalog of loaded labs: the workshop's own are picked from it by ID (see WorkshopLabs).
func (s *Store) ResetWorkshop(ctx context.Context, name, trainee string, labs []Lab) error {
	return wrap("reset workshop", s.tx(ctx, func(tx *gorm.DB) error {
		w, err := findWorkshop(tx, name)
		if err != nil {
			return err
		}
		own, err := WorkshopLabs(w, labs)
		if err != nil {
			return err
		}
		var accounts []string
		if trainee != "" {
			t, err := findTrainee(tx, w, trainee)
			if err != nil {
				return err
			}
			accounts = []string{t.AccountID}
		} else if err := tx.Model(&WorkshopTrainee{}).Where("workshop_id = ?", w.ID).Order("number, id").Pluck("account_id", &accounts).Error; err != nil {
			return err
		}
		for _, id := range accounts {
			if err := s.resetSandbox(tx, id, own); err != nil {
				return fmt.Errorf("reset sandbox %s: %w", id, err)
			}
		}
		return nil
	}))
}

// DeleteWorkshop removes a workshop in one transaction: its trainees' users (with their sessions,
// access keys and sign-in throttling records), the sandbox accounts with everything in them (and
// any other user of those accounts), and the workshop itself. The last enabled admin is never
// removed.
func (s *Store) DeleteWorkshop(ctx context.Context, name string) error {
	return wrap("delete workshop", s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockUsers(tx); err != nil {
			return err
		}
		w, err := findWorkshop(tx, name)
		if err != nil {
			return err
		}
		var trainees []WorkshopTrainee
		if err := tx.Where("workshop_id = ?", w.ID).Find(&trainees).Error; err != nil {
			return err
		}
		accounts := make([]string, len(trainees))
		userIDs := make([]uint, len(trainees))
		for i, t := range trainees {
			accounts[i], userIDs[i] = t.AccountID, t.UserID
		}
		for part := range slices.Chunk(accounts, 500) {
			var others []uint
			if err := tx.Model(&User{}).Where("account_id IN ?", part).Pluck("id", &others).Error; err != nil {
				return err
			}
			for _, id := range others {
				if !slices.Contains(userIDs, id) {
					userIDs = append(userIDs, id)
				}
			}
		}
		if err := deleteUsers(tx, userIDs); err != nil {
			return err
		}
		if err := tx.Where("workshop_id = ?", w.ID).Delete(&WorkshopTrainee{}).Error; err != nil {
			return err
		}
		for part := range slices.Chunk(accounts, 500) {
			if err := deleteAccounts(tx, part); err != nil {
				return err
			}
		}
		return tx.Delete(&w).Error
	}))
}

// deleteUsers removes users with their sessions, access keys, workshop rows and sign-in throttling
// records, refusing to remove the last enabled admin.
func deleteUsers(tx *gorm.DB, ids []uint) error {
	for part := range slices.Chunk(ids, 500) {
		var users []User
		if err := tx.Where("id IN ?", part).Find(&users).Error; err != nil {
			return err
		}
		keys := make([]string, len(users))
		for i, u := range users {
			keys[i] = usernameKey(u.Username)
			if u.Role == RoleAdmin && !u.Disabled {
				var others int64
				if err := tx.Model(&User{}).Where("role = ? AND disabled = ? AND id NOT IN ?", RoleAdmin, false, ids).Count(&others).Error; err != nil {
					return err
				}
				if others == 0 {
					return newError(CodeInvalidParameterValue, "%s is the last enabled admin and belongs to a sandbox account. Make another user admin first.", u.Username)
				}
			}
		}
		for _, table := range []any{&Session{}, &AccessKey{}, &WorkshopTrainee{}} {
			if err := tx.Where("user_id IN ?", part).Delete(table).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("username_key IN ?", keys).Delete(&SignInFailure{}).Error; err != nil {
			return err
		}
		if err := tx.Where("username_key IN ?", keys).Delete(&SignInLock{}).Error; err != nil {
			return err
		}
		if err := tx.Where("id IN ?", part).Delete(&User{}).Error; err != nil {
			return err
		}
	}
	return nil
}

// deleteAccounts removes accounts with everything they hold: cache security groups with their
// authorizations and tags, clusters with their memberships, the EC2 side, events and region
// settings.
func deleteAccounts(tx *gorm.DB, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	groups := tx.Model(&CacheSecurityGroup{}).Select("id").Where("account_id IN ?", ids)
	clusters := tx.Model(&CacheCluster{}).Select("id").Where("account_id IN ?", ids)
	instances := tx.Model(&EC2Instance{}).Select("id").Where("account_id IN ?", ids)
	ec2Groups := tx.Model(&EC2SecurityGroup{}).Select("id").Where("account_id IN ?", ids)
	steps := []func() *gorm.DB{
		func() *gorm.DB {
			return tx.Where("cluster_row_id IN (?) OR group_id IN (?)", clusters, groups).Delete(&ClusterMembership{})
		},
		func() *gorm.DB { return tx.Where("group_id IN (?)", groups).Delete(&EC2Authorization{}) },
		func() *gorm.DB { return tx.Where("group_id IN (?)", groups).Delete(&Tag{}) },
		func() *gorm.DB { return tx.Where("account_id IN ?", ids).Delete(&CacheCluster{}) },
		func() *gorm.DB { return tx.Where("account_id IN ?", ids).Delete(&CacheSecurityGroup{}) },
		func() *gorm.DB {
			return tx.Exec("DELETE FROM ec2_instance_security_groups WHERE ec2_instance_id IN (?) OR ec2_security_group_id IN (?)", instances, ec2Groups)
		},
		func() *gorm.DB { return tx.Where("account_id IN ?", ids).Delete(&EC2Instance{}) },
		func() *gorm.DB { return tx.Where("account_id IN ?", ids).Delete(&EC2SecurityGroup{}) },
		func() *gorm.DB { return tx.Where("account_id IN ?", ids).Delete(&Event{}) },
		func() *gorm.DB { return tx.Where("account_id IN ?", ids).Delete(&RegionSetting{}) },
		func() *gorm.DB { return tx.Where("id IN ?", ids).Delete(&Account{}) },
	}
	for _, step := range steps {
		if err := step().Error; err != nil {
			return err
		}
	}
	return deleteNetworks(tx, ids)
}
