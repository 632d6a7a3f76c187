package wizard

// Decoded is replaced by the decoder's type at merge.
type Decoded struct {
	Text string `json:"text"`
}
