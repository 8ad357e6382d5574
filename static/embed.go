// Package static embeds the console's CSS, script and images, so the binary works offline.
package static

import (
	"embed"
	"net/http"
	"strings"
)

//go:embed css js img
var files embed.FS

// Handler serves the embedded files under /static/. The files change only with the binary, so
// browsers may cache them for an hour without asking again.
func Handler() http.Handler {
	fileServer := http.StripPrefix("/static/", http.FileServerFS(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	})
}
