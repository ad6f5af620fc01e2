"""Static files of derek's web page (index.html, app.js, derek.css, docs.html), served by
derek.api; no template engine, no CDN: the page works offline."""
