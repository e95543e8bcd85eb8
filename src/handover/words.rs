//! Every word of the plain page and the sheet, in Portuguese and English side by side.
//! `{n}`, `{place}`… are filled by [`W::with`].
use super::Lang;

/// A text in Portuguese and English.
#[derive(Debug, Clone, Copy)]
pub(super) struct W(pub &'static str, pub &'static str);

impl W {
    /// The text in a language.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Pt => self.0,
            Lang::En => self.1,
        }
    }

    /// The text with `{name}` placeholders filled (values as they are: escape them first for
    /// HTML).
    pub fn with(self, lang: Lang, vars: &[(&str, &str)]) -> String {
        let mut s = self.get(lang).to_string();
        for (k, v) in vars {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }
}

// The plain page (/find).
pub const FIND_TITLE: W = W("Encontrar apoio social", "Find social care");
pub const FIND_INTRO: W = W(
    "Uma página simples, sem mapa, para telemóveis antigos e ligações lentas. Serve também para procurar apoio para outra pessoa.",
    "A simple page without a map, for old phones and slow connections. It also works to look care up for someone else.",
);
pub const PLACE_LABEL: W = W(
    "Terra, concelho ou código postal",
    "Town, municipality or postal code",
);
pub const PLACE_HELP: W = W(
    "Por exemplo: Évora, Mértola ou 7000-591",
    "For example: Évora, Mértola or 7000-591",
);
pub const GROUP_LABEL: W = W("Para quem?", "Who is it for?");
pub const GROUP_ANY: W = W("Qualquer pessoa", "Anyone");
pub const TYPE_LABEL: W = W("Que apoio?", "What kind of care?");
pub const TYPE_ANY: W = W("Qualquer apoio", "Any kind of care");
pub const MUNI_LABEL: W = W("Só num concelho?", "Only in one municipality?");
pub const MUNI_ANY: W = W("Em qualquer concelho", "In any municipality");
pub const IN_MUNI: W = W(
    "Só os do concelho de {m}, do mais perto ao mais longe",
    "Only those in {m}, nearest first",
);
pub const CAPPED: W = W(
    "Mostramos os {n} mais perto, de {total} neste concelho. Para os ver todos, escolha um tipo de apoio.",
    "We show the {n} nearest of the {total} in this municipality. To see them all, choose a kind of care.",
);
pub const SEARCH: W = W("Procurar", "Search");
pub const SEE_MAP: W = W("Ver no mapa", "See on the map");
pub const NEAR: W = W("Os {n} mais perto de {place}", "The {n} nearest to {place}");
pub const NEAR_ONE: W = W("O mais perto de {place}", "The nearest to {place}");
pub const ONLY: W = W("Só: {what}", "Only: {what}");
pub const NONE_FOUND: W = W(
    "Não há apoios destes na região. Escolha «Qualquer apoio» e procure outra vez.",
    "There is no care of this kind in the region. Choose «Any kind of care» and search again.",
);
pub const CHOOSE_PLACE: W = W("Que terra quer dizer?", "Which place do you mean?");
pub const NO_PLACE: W = W(
    "Não encontrámos «{q}». Veja como se escreve, escreva o nome do concelho, ou escolha-o aqui:",
    "We did not find «{q}». Check the spelling, type the municipality's name, or choose it here:",
);
pub const MUNICIPALITY: W = W("Concelho", "Municipality");
pub const MORE: W = W("Mostrar mais {n}", "Show {n} more");
pub const TICK: W = W("Pôr na folha", "Put on the sheet");
pub const HANDOVER_TITLE: W = W("Para entregar a quem precisa", "To hand over to the person");
pub const HANDOVER_HELP: W = W(
    "Marque até {n} serviços para a folha. Sem nenhum marcado, vão os {n} primeiros. Pode juntar uma nota curta. Nada fica guardado.",
    "Tick up to {n} services for the sheet. With none ticked, the first {n} go. You can add a short note. Nothing is stored.",
);
pub const NOTE_LABEL: W = W("Nota (até 200 letras)", "Note (up to 200 characters)");
pub const MAKE_SHEET: W = W(
    "Preparar a folha para imprimir ou partilhar",
    "Make the sheet to print or share",
);
pub const TEXT_SIZE: W = W("Tamanho da letra:", "Text size:");
pub const SIZE_NAMES: [W; 3] = [
    W("normal", "normal"),
    W("grande", "large"),
    W("muito grande", "very large"),
];
pub const LANG_SWITCH: W = W("English", "Português");
pub const BACK_TO_MAP: W = W("Voltar ao mapa", "Back to the map");

// A service.
pub const PHONE: W = W("Telefone", "Phone");
pub const PHONE_ORG: W = W("Telefone da sede", "Head office phone");
pub const TEL: W = W("Tel.", "Phone");
pub const TEL_ORG: W = W("Tel. da sede", "Head office");
pub const DEMO_SHORT: W = W("inventado", "invented");
pub const ADDRESS: W = W("Morada", "Address");
pub const HOURS: W = W("Horário", "Opening hours");
pub const AWAY: W = W("a {d}", "{d} away");
pub const AWAY_FROM: W = W("A {d} de {place}", "{d} from {place}");
pub const DEMO_TAG: W = W(
    "Inventado: dados de demonstração, não é um serviço real",
    "Invented: demonstration data, not a real service",
);
pub const DEMO_SOME: W = W(
    "Atenção: {n} destes serviços são inventados (dados de demonstração do Bússola). Não são serviços reais.",
    "Note: {n} of these services are invented (Bússola's demonstration data). They are not real services.",
);
pub const DEMO_ONE: W = W(
    "Atenção: 1 destes serviços é inventado (dados de demonstração do Bússola). Não é um serviço real.",
    "Note: 1 of these services is invented (Bússola's demonstration data). It is not a real service.",
);
pub const DEMO_ALL: W = W(
    "Atenção: serviços inventados (demonstração), não são reais.",
    "Note: invented services (demonstration), not real ones.",
);

// The sheet (/sheet).
pub const SHEET_TITLE: W = W("Apoios escolhidos para si", "Care chosen for you");
pub const SHEET_KICKER: W = W(
    "Bússola · apoio social no {region}",
    "Bússola · social care in {region}",
);
pub const PRINTED: W = W("Impresso a {date}", "Printed on {date}");
pub const NEAR_PLACE: W = W("Perto de {place}", "Near {place}");
pub const NOTE_FROM: W = W("Nota de quem ajudou:", "A note from the person helping:");
pub const MAP_CAPTION: W = W(
    "Os números no mapa são os da lista. ✚ {place}",
    "The numbers on the map are those of the list. ✚ {place}",
);
pub const MAP_CAPTION_NO_PLACE: W = W(
    "Os números no mapa são os da lista.",
    "The numbers on the map are those of the list.",
);
pub const QR_CAPTION: W = W(
    "Para ver estes serviços na Internet, aponte a câmara do telemóvel a este código.",
    "To see these services online, point a phone's camera at this code.",
);
pub const CHECK_FIRST: W = W(
    "Os dados podem mudar: telefone antes de ir.",
    "Details can change: phone before you go.",
);
pub const SOURCES: W = W("De onde vêm os dados", "Where the data comes from");
pub const MISSING: W = W(
    "{n} dos serviços escolhidos já não estão no Bússola.",
    "{n} of the chosen services are no longer in Bússola.",
);
pub const MISSING_ONE: W = W(
    "1 dos serviços escolhidos já não está no Bússola.",
    "1 of the chosen services is no longer in Bússola.",
);
pub const PRINT: W = W("Imprimir", "Print");
pub const PRINT_HELP: W = W(
    "Para imprimir, use «Imprimir» no menu do navegador.",
    "To print, use «Print» in the browser's menu.",
);
pub const CHANGE_MAP: W = W("Mudar a escolha no mapa", "Change the choice on the map");
pub const CHANGE_PLAIN: W = W(
    "Mudar a escolha (página simples)",
    "Change the choice (simple page)",
);
pub const SHARE: W = W("Partilhar", "Share");
pub const SHARE_HELP: W = W(
    "Esta ligação abre os mesmos serviços e a mesma nota. Nada fica guardado no Bússola.",
    "This link opens the same services and the same note. Nothing is stored on Bússola.",
);
pub const SHARE_LINK: W = W("Ligação", "Link");
pub const SEND_MAIL: W = W("Enviar por e-mail", "Send by e-mail");
pub const MAIL_SUBJECT: W = W(
    "Apoios escolhidos para si (Bússola)",
    "Care chosen for you (Bússola)",
);
pub const SEE_ONLINE: W = W("Ver na Internet:", "See online:");

// Errors.
pub const ERROR_TITLE: W = W("Não foi possível", "That did not work");
pub const TOO_MANY: W = W(
    "Escolheu {n} serviços, mas numa folha com esta letra só cabem {most}. Volte atrás e desmarque {less}.",
    "You chose {n} services, but only {most} fit on one sheet with this text size. Go back and untick {less}.",
);
pub const NOTHING_CHOSEN: W = W(
    "Não escolheu nenhum serviço. Procure primeiro e marque os que quer na folha.",
    "No service was chosen. Search first and tick the ones you want on the sheet.",
);
pub const BAD_PARAM: W = W(
    "O endereço tem um erro em «{param}»: {message}",
    "The address has a mistake in «{param}»: {message}",
);
pub const START_AGAIN: W = W("Começar de novo", "Start again");
