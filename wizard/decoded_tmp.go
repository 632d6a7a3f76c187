package wizard

import "assistant/checks"

// Decoded is replaced by the decoder's type at merge.
type Decoded struct {
	Text string `json:"text"`
}

// Decode is replaced by the decoder at merge.
func Decode(text string) Decoded { return Decoded{Text: text} }

// Recognised is replaced by the decoder at merge.
func (d Decoded) Recognised() bool { return false }

// Prefill is replaced by the decoder at merge.
func (d Decoded) Prefill(t checks.Target, set map[string]bool) checks.Target { return t }

// Explain is replaced by the decoder at merge.
func Explain(d Decoded, l Lang) string { return d.Text }
