// Start Det Fælles Designsystem's components (menus, tables, details ...).
window.DKFDS && window.DKFDS.init();
