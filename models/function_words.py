"""Function words of the ads' main languages: never given alone as a learned reason.

A learned word like "your" or "them" may carry weight in a linear model, but it tells an
investigator nothing; reasons are made of content words (`models.classifier`).
"""

from __future__ import annotations

_WORDS = """
    the and for you your yours our ours them they their she her him his its are was were
    will would can could with from this that these those there here have has had not but
    all any one two who what when where which how why about into onto over only just very
    out off more most some such than then too also each both call text number
    les des une est pas pour avec dans sur par qui que quoi vous nous elle elles ils leur
    leurs mon mes ton tes son ses notre nos votre vos tout tous toute toutes mais ou donc
    car aux ces cet cette deux tres plus moins bien ici appel appelez numero
    het een van voor met niet maar ook dan als wat wie waar hoe zijn haar hun ons onze
    jouw jullie mijn mij zij wij ook nog wel heel deze dit dat die bij uit naar over bel
    los las una uno por para con del que como pero mas muy son sus nuestro nuestra
    """
FUNCTION_WORDS = frozenset(_WORDS.split())
