from leerrecht.cli.main import app

app()
