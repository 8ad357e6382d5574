package models

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"strings"
)

// Windows are written as AWS writes them: a weekly maintenance window ddd:hh24:mi-ddd:hh24:mi and a
// daily snapshot window hh24:mi-hh24:mi, both in UTC and at least an hour long.
var (
	weekDays           = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	maintenancePattern = regexp.MustCompile(`^([a-z]{3}):([0-9]{2}):([0-9]{2})-([a-z]{3}):([0-9]{2}):([0-9]{2})$`)
	snapshotPattern    = regexp.MustCompile(`^([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})$`)
)

// Snapshot retention limits of the service, in days.
const MaxSnapshotRetentionLimit = 35

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
)

// weekMinute is a time in the week, in minutes from Sunday 00:00 UTC.
func weekMinute(day, hour, minute string) (int, bool) {
	d := -1
	for i, name := range weekDays {
		if name == day {
			d = i
		}
	}
	h, m := atoi(hour), atoi(minute)
	if d < 0 || h > 23 || m > 59 {
		return 0, false
	}
	return d*minutesPerDay + h*60 + m, true
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// ParseMaintenanceWindow checks a maintenance window and returns it lower-case with its start and
// end in minutes of the week (the end may wrap past Saturday into the next week).
func ParseMaintenanceWindow(w string) (string, int, int, error) {
	w = strings.ToLower(strings.TrimSpace(w))
	m := maintenancePattern.FindStringSubmatch(w)
	const field = "maintenance_window"
	if m == nil {
		return "", 0, 0, fieldError(CodeInvalidParameterValue, field, "The maintenance window must be ddd:hh24:mi-ddd:hh24:mi in UTC, for example sun:05:00-sun:06:00.")
	}
	start, ok1 := weekMinute(m[1], m[2], m[3])
	end, ok2 := weekMinute(m[4], m[5], m[6])
	if !ok1 || !ok2 {
		return "", 0, 0, fieldError(CodeInvalidParameterValue, field, "The maintenance window must use the days sun to sat and times 00:00 to 23:59.")
	}
	if end <= start {
		end += minutesPerWeek
	}
	if end-start < 60 {
		return "", 0, 0, fieldError(CodeInvalidParameterValue, field, "The maintenance window must be at least 60 minutes long.")
	}
	if end-start > minutesPerDay {
		return "", 0, 0, fieldError(CodeInvalidParameterValue, field, "The maintenance window can be at most 24 hours long.")
	}
	return w, start, end, nil
}

// ParseSnapshotWindow checks a daily snapshot window and returns its start and end in minutes of the day.
func ParseSnapshotWindow(w string) (int, int, error) {
	m := snapshotPattern.FindStringSubmatch(strings.TrimSpace(w))
	const field = "snapshot_window"
	if m == nil || atoi(m[1]) > 23 || atoi(m[2]) > 59 || atoi(m[3]) > 23 || atoi(m[4]) > 59 {
		return 0, 0, fieldError(CodeInvalidParameterValue, field, "The snapshot window must be hh24:mi-hh24:mi in UTC, for example 05:00-06:00.")
	}
	start, end := atoi(m[1])*60+atoi(m[2]), atoi(m[3])*60+atoi(m[4])
	if end <= start {
		end += minutesPerDay
	}
	if end-start < 60 {
		return 0, 0, fieldError(CodeInvalidParameterValue, field, "The snapshot window must be at least 60 minutes long.")
	}
	return start, end, nil
}

// clusterHash is the cluster's part of its endpoints' host names: six characters fixed by its
// account, region and ID, so an endpoint stays the same across restarts and instances.
func clusterHash(account, region, id string) string {
	sum := sha256.Sum256([]byte(account + "/" + region + "/" + id))
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	for _, c := range sum[:6] {
		b.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return b.String()
}

// defaultMaintenanceWindow is the hour the service assigns when none is asked for; AWS picks one at
// random per region, sgconsole one fixed by the cluster so it is stable.
func defaultMaintenanceWindow(account, region, id string) string {
	sum := sha256.Sum256([]byte("maintenance/" + account + "/" + region + "/" + id))
	day, hour := weekDays[int(sum[0])%7], int(sum[1])%24
	end, endDay := hour+1, day
	if end == 24 {
		end, endDay = 0, weekDays[(int(sum[0])%7+1)%7]
	}
	return fmt.Sprintf("%s:%02d:00-%s:%02d:00", day, hour, endDay, end)
}

// defaultSnapshotWindow is the daily hour a Redis cluster gets when none is asked for, chosen so it
// never overlaps the maintenance window's hour.
func defaultSnapshotWindow(maintenance string) string {
	_, start, _, err := ParseMaintenanceWindow(maintenance)
	hour := 5
	if err == nil && (start%minutesPerDay)/60 == hour {
		hour = 7
	}
	return fmt.Sprintf("%02d:00-%02d:00", hour, hour+1)
}

// ShortRegion writes us-east-1 as use1, as ElastiCache endpoints do.
func ShortRegion(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 || parts[1] == "" {
		return region
	}
	return parts[0] + parts[1][:1] + parts[2]
}
