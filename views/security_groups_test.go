package views

import "testing"

// TestEC2RowIDIsAnIDAndAFragment: the row id Add and Remove land on has no spaces (an EC2 group
// name may) and is the same in the page and in the redirect's fragment.
func TestEC2RowIDIsAnIDAndAFragment(t *testing.T) {
	for _, tc := range []struct{ name, owner, want string }{
		{"web-servers", "123456789012", "ec2-row-web-servers-123456789012"},
		{"Web Servers", "123456789012", "ec2-row-Web_20Servers-123456789012"},
		{"a/b#c", "123456789012", "ec2-row-a_2fb_23c-123456789012"},
	} {
		if got := EC2RowID(tc.name, tc.owner); got != tc.want {
			t.Errorf("EC2RowID(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
