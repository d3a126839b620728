"""Every Qt widget of the application; nothing outside this package imports Qt widgets."""
