"""The site shell (`web`): the start page, the page frame (`web/base.html`, the header and the error
pages) and the main menu composed from the apps below it (`navigation.py`). It sits on top of every
other app and holds no business logic: the start page's figures come from the cases app's selectors."""
