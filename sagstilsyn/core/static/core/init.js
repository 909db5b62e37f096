// Start Det Fælles Designsystem's components (menus, tables, details ...).
window.DKFDS && window.DKFDS.init();

// The Danish file picker (.file-picker): show the chosen file's name beside the "Vælg fil" button.
document.querySelectorAll(".file-picker__input").forEach(function (input) {
  var shown = document.getElementById(input.id + "-name");
  if (!shown) { return; }
  input.addEventListener("change", function () {
    shown.textContent = input.files && input.files.length ? input.files[0].name : "Ingen fil valgt";
  });
});
