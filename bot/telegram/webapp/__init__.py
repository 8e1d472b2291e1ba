"""The Telegram Mini App: the interactive map (``renderers.html``) served by the bot itself
when ``WEBAPP_URL`` is set. ``initdata`` checks who opened it (Telegram's signature, its
age); ``server`` answers the page and its data requests, only for workshop members."""
