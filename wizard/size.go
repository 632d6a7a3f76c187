package wizard

import (
	"errors"
	"strconv"
	"strings"
)

// ParseSize reads a size as people write it: "2MiB", "4 MB", "512k",
// "1048576". Units are binary (k = KiB); "0" turns a transfer off.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i == 0 {
		return 0, errors.New("no number in size " + strconv.Quote(s))
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, err
	}
	mult := map[string]float64{"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
		"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}
	m, ok := mult[strings.ToLower(strings.TrimSpace(s[i:]))]
	if !ok {
		return 0, errors.New("unknown unit in size " + strconv.Quote(s))
	}
	v := n * m
	if v > 1<<40 {
		return 0, errors.New("size too large: " + strconv.Quote(s))
	}
	return int64(v), nil
}
