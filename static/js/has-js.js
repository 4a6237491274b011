// Mark the page as scripted before it paints, so CSS can hide no-script fallbacks at once.
document.documentElement.classList.add("js");
