from normalize._cli import run

run()
