"""Pure exports of a published Programme for other software: frab schedules, spreadsheet-safe cells.

Modules are imported by name (`app.exports.frab`, `app.exports.cells`); nothing here knows HTTP,
the database or the clock.
"""
