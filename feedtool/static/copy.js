// Progressive enhancement: a "Copy" button beside each feed address. Without JavaScript
// the address is still there to select and copy by hand. data-copy names the element
// (a read-only field or the text) that holds the address.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field || !navigator.clipboard) return;
  var label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = "value" in field ? field.value : field.textContent;
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 2000);
    }, function () {
      if (field.select) {
        field.select();
      } else {
        window.getSelection().selectAllChildren(field);
      }
    });
  });
});
