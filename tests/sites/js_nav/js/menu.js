// The site's menu, written into the page by script (as many site builders do): the server's
// HTML has an empty <nav>.
(function () {
  var nav = document.getElementById("menu");
  var items = [["/", "Home"], ["/about/", "About"], ["/services/", "Services"],
               ["/contact/", "Contact"]];
  items.forEach(function (item) {
    var a = document.createElement("a");
    a.href = item[0];
    a.textContent = item[1];
    nav.appendChild(a);
  });
})();
