// A loader stub's script: the server sends a spinner, this fetches the page's content and
// writes it into the document (plain HTML, or JSON carrying the HTML).
(function () {
  var app = document.getElementById("app");
  var source = app.getAttribute("data-content");
  fetch(source).then(function (response) {
    if (!response.ok) { throw new Error(response.status); }
    return /\.json$/.test(source) ? response.json().then(function (data) { return data.html; })
                                  : response.text();
  }).then(function (html) {
    app.innerHTML = html;
  }).catch(function () { /* the spinner stays: what a browser without the content shows */ });
})();
