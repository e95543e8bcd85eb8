// The sheet to hand over (/sheet, rendered by the server, which works without this file): the
// print button, and the share link selected whole when it is focused (to copy it).
const print = document.getElementById('print');
if (print) {
  print.hidden = false;
  print.addEventListener('click', () => window.print());
  const help = document.getElementById('print-help');
  if (help) help.hidden = true;
}
const link = document.getElementById('share-link');
if (link) link.addEventListener('focus', () => link.select());
