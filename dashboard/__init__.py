"""The Dash web app: overview, goal, sub-goal and indicator pages, downloads and 404s.

``dashboard.app.create_app(settings)`` builds the app; ``app.server`` is the Flask server.
"""
