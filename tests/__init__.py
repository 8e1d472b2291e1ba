"""The test suite is a package, so ``tests/bot`` is imported as ``tests.bot``.

Without this file pytest names ``tests/bot/__init__.py`` plain ``bot`` and it shadows the
product's ``bot`` package: ``bot.telegram`` was then found only through the editable
install, i.e. always the working tree's copy — under ``make mutate`` the bot tests ran the
unmutated code and mutmut saw no test reach bot.telegram.*."""
