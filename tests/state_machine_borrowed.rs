//! Borrowed data: events that hold references and a context that borrows, with lifetimes
//! written `'_` in the table.

use patternkit::{Fired, StateMachine};

enum Input<'a> {
    Word(&'a str),
    Space,
    End,
}

struct Output<'a> {
    words: &'a mut Vec<String>,
    current: String,
}

fn is_word_end(_: &Scanner, event: &Input<'_>, _: &Output<'_>) -> bool {
    matches!(event, Input::Space | Input::End)
}

fn push(event: &Input<'_>, out: &mut Output<'_>) {
    if let Input::Word(text) = event {
        out.current.push_str(text);
    }
}

fn flush(_: &Input<'_>, out: &mut Output<'_>) {
    let word = std::mem::take(&mut out.current);
    out.words.push(word);
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Input<'_>, context = Output<'_>, initial = Between, transitions = [
    Between + Word  => InWord then push,
    Between + Space => _,
    InWord  + Word  => _ then push,
    InWord  + _     => Between if is_word_end then flush,
    _       + End   => Done,
])]
enum Scanner {
    Between,
    InWord,
    #[state(final)]
    Done,
}

#[test]
fn events_and_context_may_borrow() {
    let text = String::from("ab c");
    let mut words = Vec::new();
    {
        let mut out = Output {
            words: &mut words,
            current: String::new(),
        };
        let mut scanner = Scanner::initial();
        let pieces: Vec<Input<'_>> = vec![
            Input::Word(&text[0..1]),
            Input::Word(&text[1..2]),
            Input::Space,
            Input::Word(&text[3..4]),
            Input::Space,
        ];
        let mut moves: Vec<Fired<Scanner>> = Vec::new();
        for piece in &pieces {
            moves.push(scanner.fire(piece, &mut out).unwrap());
        }
        scanner.fire(&Input::End, &mut out).unwrap();
        assert_eq!(scanner, Scanner::Done);
        assert_eq!((moves[0].from(), moves[0].to()), ("Between", "InWord"));
    }
    assert_eq!(words, ["ab", "c"]);
}
