"""The ``studygen`` program: ``python -m generator``, and the console script (``run``)."""


def run() -> None:
    import gc

    # The cycle collector runs every 700 new objects by default, and every 100th run walks all
    # of them: a build keeps most of what it makes (modules, content, fonts, layout) until it
    # ends, so those runs find little to free.  Every 50,000 objects: the article's build spends
    # 20 ms of CPU collecting instead of 70 (0.2 s instead of 0.75 s at 2,000 cards), for
    # about 1 MiB more at its peak.  Set before the command's imports, which make as many
    # objects again (and took 7 ms longer with the default).
    gc.set_threshold(50_000, 10, 10)
    from generator import cli

    cli.run()


if __name__ == "__main__":
    run()
