// Every string the patron sees, in one module. English is the reference and is complete;
// Spanish proves the mechanism (data-lang="es"). A missing key falls back to English, then to
// the key itself, so a half-translated language never shows a blank. `{name}` placeholders are
// replaced with plain values; the view sets the result as text, never as HTML. Tickets'
// strings (i18n-tickets.js) join each language's table.

import { TICKET_STRINGS } from "./i18n-tickets.js";

export const STRINGS = {
  en: {
    ...TICKET_STRINGS.en,
    "app.title": "Ask a Librarian",
    "status.checking": "Checking availability…",
    "status.online": "Librarians are online",
    "status.offline": "No librarians online right now",
    "status.unavailable": "Chat is unavailable",
    "status.waiting": "Waiting for a librarian",
    "status.active": "Chatting with {name}",
    "status.ended": "Chat ended",
    "status.reconnecting": "Reconnecting…",
    "header.minimize": "Minimize chat",
    "header.end": "End chat",
    "confirm.question": "End this chat?",
    "confirm.detail": "You won't be able to send more messages in this chat.",
    "confirm.yes": "Yes, end chat",
    "confirm.no": "Keep chatting",

    "loading": "Checking who's available…",
    "offline.heading": "No librarians are online right now",
    "offline.body": "Our chat isn't staffed at the moment, but you can still reach us:",
    "offline.email": "Email {email}",
    "offline.phone": "Call {phone}",
    "offline.url": "More ways to get help",
    "offline.none": "Please try again later.",
    "offline.retry": "Check again",
    "offline.kept": "We've kept what you wrote: it will be back in the form as soon as a librarian is online.",
    "unavailable.heading": "We can't reach the chat service",
    "unavailable.body": "Please check your internet connection and try again.",
    "unavailable.alternatives": "You can also reach us another way:",
    "status.closed": "Chat is closed right now",
    "closed.heading": "Chat is closed right now",
    "closed.headingDesk": "{desk} chat is closed right now",
    "closed.opensToday": "Opens today at {time} (your time).",
    "closed.opensTomorrow": "Opens tomorrow at {time} (your time).",
    "closed.opensDay": "Opens {day} {time} (your time).",
    "closed.opensDate": "Opens {date} at {time} (your time).",
    "closed.libraryTime": "That's {time} in {place}.",
    "closed.libraryTimeDay": "That's {day} {time} in {place}.",
    "closed.later": "Please come back during opening hours.",
    "closed.alternatives": "Meanwhile, you can reach us another way:",
    "closed.kept": "We've kept what you wrote: it will be back in the form when the chat opens.",

    "form.heading": "How can we help?",
    "form.intro": "Ask your question and a librarian will answer you right here.",
    "form.question": "Your question",
    "form.required": "(required)",
    "form.optional": "(optional)",
    "form.questionRequired": "Please type your question.",
    "form.name": "Your name",
    "form.email": "Email",
    "form.emailHint": "Only used if we need to follow up on your question.",
    "form.emailInvalid": "Please check the email address, or leave it blank.",
    "form.submit": "Start chat",
    "form.submitting": "Starting chat…",
    "form.privacy": "Please don't share passwords or library card PINs in the chat.",

    "waiting.title": "A librarian will be with you shortly.",
    "waiting.body": "Please keep this page open. You can add more details while you wait.",
    "line.position": "You are number {n} in line.",
    "line.next": "You are next in line.",
    "line.wait": "Expected wait: {wait}.",
    "wait.underMinute": "less than a minute",
    "wait.minute": "about 1 minute",
    "wait.minutes": "about {n} minutes",
    "wait.hour": "about 1 hour",
    "wait.hours": "about {n} hours",

    "who.you": "You",
    "who.librarian": "Librarian",
    "who.library": "Library",
    "msg.sending": "Sending…",
    "msg.file": "File",
    "msg.openFile": "Open {name}",
    "notice.joined": "{name} joined the chat",
    "notice.requeued": "Your question is back in the queue: the next librarian will be with you shortly.",
    "notice.endedByOperator": "{name} ended the chat",
    "notice.endedByLibrarian": "The librarian ended the chat",
    "notice.endedByPatron": "You ended the chat",
    "notice.endedBySystem": "The chat was closed",
    "notice.ended": "This chat has ended",
    "typing": "{name} is typing…",

    "composer.label": "Message",
    "composer.placeholder": "Type your message…",
    "composer.hint": "Press Enter to send, Shift+Enter for a new line.",
    "composer.send": "Send",
    "composer.left": "{n} characters left",
    "composer.region": "Write to the librarian",
    "composer.previewNote": "Librarians can see what you type before you send it.",
    "conversation.label": "Conversation",

    "conn.connecting": "Connecting…",
    "conn.reconnecting": "Reconnecting…",
    "conn.detail": "Messages you write now will be sent when the connection is back.",
    "conn.offlineDetail": "You seem to be offline. Messages you write now will be sent when the connection is back.",

    "error.too_large": "That message is too long (at most 4,000 characters), so it was not sent.",
    "error.rate_limited": "You're sending messages very quickly. Please wait a moment and try again.",
    "error.invalid_state": "This chat has ended, so messages can no longer be sent.",
    "error.bad_request": "The service could not accept that. Please check what you typed.",
    "error.network": "We couldn't reach the chat service. Please check your connection and try again.",
    "error.notConnected": "You're not connected right now. Please try again once we've reconnected.",
    "error.generic": "Something went wrong on our side. Please try again.",
    "error.file": "That file could not be opened. It may no longer be available.",
    "error.fileTooLarge": "That file is too large to send. Files can be up to {mb} MB.",
    "error.fileType": "That type of file can't be sent. You can send images (PNG, JPEG, GIF or WebP), PDF, plain text, CSV, RTF and office documents (Word, Excel, PowerPoint or OpenDocument).",
    "error.fileEmpty": "That file is empty, so it was not sent.",
    "error.upload": "The file could not be uploaded. Please try again.",
    "composer.attach": "Attach a file",
    "upload.busy": "Uploading {name}…",
    "upload.pending": "Ready to upload",
    "upload.send": "Upload",
    "upload.cancel": "Cancel",

    "gone.heading": "This chat is no longer available",
    "gone.body": "It may have expired. You're welcome to start a new one.",

    "survey.heading": "How did we do?",
    "survey.intro": "Two quick questions help us improve this service.",
    "survey.rating": "How would you rate this chat?",
    "survey.scalePoor": "Poor",
    "survey.scaleExcellent": "Excellent",
    "survey.rating1": "1, poor",
    "survey.rating5": "5, excellent",
    "survey.answered": "Did we answer your question?",
    "survey.yes": "Yes",
    "survey.no": "No",
    "survey.comment": "Anything else you'd like to tell us?",
    "survey.submit": "Send feedback",
    "survey.submitting": "Sending…",
    "survey.skip": "Skip",
    "survey.ratingRequired": "Please choose a rating from 1 to 5.",

    "thanks.heading": "Thank you!",
    "thanks.body": "Your feedback helps us improve. Come back any time you have a question.",
    "thanks.skippedHeading": "Thanks for chatting with us",
    "thanks.skippedBody": "Come back any time you have a question.",
    "left.heading": "You left the queue",
    "left.body": "No librarian had joined yet. Start a new chat whenever you're ready.",
    "action.newChat": "Start a new chat",
    "action.download": "Download transcript",
    "transcript.title": "Chat transcript",
    "transcript.file": "library-chat-{date}.txt",
  },

  es: {
    ...TICKET_STRINGS.es,
    "app.title": "Pregunte a un bibliotecario",
    "status.checking": "Comprobando disponibilidad…",
    "status.online": "Hay bibliotecarios conectados",
    "status.offline": "No hay bibliotecarios conectados ahora",
    "status.unavailable": "El chat no está disponible",
    "status.waiting": "Esperando a un bibliotecario",
    "status.active": "Conversando con {name}",
    "status.ended": "Chat finalizado",
    "status.reconnecting": "Reconectando…",
    "header.minimize": "Minimizar el chat",
    "header.end": "Finalizar chat",
    "confirm.question": "¿Finalizar este chat?",
    "confirm.detail": "No podrá enviar más mensajes en este chat.",
    "confirm.yes": "Sí, finalizar",
    "confirm.no": "Seguir conversando",

    "loading": "Comprobando quién está disponible…",
    "offline.heading": "No hay bibliotecarios conectados en este momento",
    "offline.body": "El chat no está atendido ahora, pero puede contactarnos de otra forma:",
    "offline.email": "Escríbanos a {email}",
    "offline.phone": "Llame al {phone}",
    "offline.url": "Otras formas de obtener ayuda",
    "offline.none": "Por favor, inténtelo más tarde.",
    "offline.retry": "Volver a comprobar",
    "offline.kept": "Hemos guardado lo que escribió: volverá al formulario en cuanto haya un bibliotecario conectado.",
    "unavailable.heading": "No podemos conectar con el servicio de chat",
    "unavailable.body": "Compruebe su conexión a internet e inténtelo de nuevo.",
    "unavailable.alternatives": "También puede contactarnos de otra forma:",
    "status.closed": "El chat está cerrado ahora",
    "closed.heading": "El chat está cerrado ahora",
    "closed.headingDesk": "El chat de {desk} está cerrado ahora",
    "closed.opensToday": "Abre hoy a las {time} (su hora).",
    "closed.opensTomorrow": "Abre mañana a las {time} (su hora).",
    "closed.opensDay": "Abre el {day} a las {time} (su hora).",
    "closed.opensDate": "Abre el {date} a las {time} (su hora).",
    "closed.libraryTime": "Es decir, a las {time} en {place}.",
    "closed.libraryTimeDay": "Es decir, el {day} a las {time} en {place}.",
    "closed.later": "Vuelva durante el horario de atención.",
    "closed.alternatives": "Mientras tanto, puede contactarnos de otra forma:",
    "closed.kept": "Hemos guardado lo que escribió: volverá al formulario cuando abra el chat.",

    "form.heading": "¿En qué podemos ayudarle?",
    "form.intro": "Escriba su pregunta y un bibliotecario le responderá aquí mismo.",
    "form.question": "Su pregunta",
    "form.required": "(obligatorio)",
    "form.optional": "(opcional)",
    "form.questionRequired": "Por favor, escriba su pregunta.",
    "form.name": "Su nombre",
    "form.email": "Correo electrónico",
    "form.emailHint": "Solo lo usaremos si necesitamos darle seguimiento a su pregunta.",
    "form.emailInvalid": "Revise la dirección de correo o déjela en blanco.",
    "form.submit": "Iniciar chat",
    "form.submitting": "Iniciando el chat…",
    "form.privacy": "No comparta contraseñas ni el PIN de su tarjeta de la biblioteca en el chat.",

    "waiting.title": "Un bibliotecario le atenderá en breve.",
    "waiting.body": "Mantenga esta página abierta. Mientras espera, puede añadir más detalles.",
    "line.position": "Usted es el número {n} en la fila.",
    "line.next": "Usted es el siguiente en la fila.",
    "line.wait": "Espera estimada: {wait}.",
    "wait.underMinute": "menos de un minuto",
    "wait.minute": "alrededor de 1 minuto",
    "wait.minutes": "alrededor de {n} minutos",
    "wait.hour": "alrededor de 1 hora",
    "wait.hours": "alrededor de {n} horas",

    "who.you": "Usted",
    "who.librarian": "Bibliotecario",
    "who.library": "Biblioteca",
    "msg.sending": "Enviando…",
    "msg.file": "Archivo",
    "msg.openFile": "Abrir {name}",
    "notice.joined": "{name} se unió al chat",
    "notice.requeued": "Su pregunta volvió a la cola: la próxima bibliotecaria o bibliotecario le atenderá en breve.",
    "notice.endedByOperator": "{name} finalizó el chat",
    "notice.endedByLibrarian": "El bibliotecario finalizó el chat",
    "notice.endedByPatron": "Usted finalizó el chat",
    "notice.endedBySystem": "El chat se cerró",
    "notice.ended": "Este chat ha finalizado",
    "typing": "{name} está escribiendo…",

    "composer.label": "Mensaje",
    "composer.placeholder": "Escriba su mensaje…",
    "composer.hint": "Pulse Intro para enviar y Mayús+Intro para una nueva línea.",
    "composer.send": "Enviar",
    "composer.left": "Quedan {n} caracteres",
    "composer.region": "Escribir al bibliotecario",
    "composer.previewNote": "Los bibliotecarios pueden ver lo que escribe antes de que lo envíe.",
    "conversation.label": "Conversación",

    "conn.connecting": "Conectando…",
    "conn.reconnecting": "Reconectando…",
    "conn.detail": "Los mensajes que escriba ahora se enviarán cuando vuelva la conexión.",
    "conn.offlineDetail": "Parece que no tiene conexión. Los mensajes que escriba ahora se enviarán cuando vuelva la conexión.",

    "error.too_large": "El mensaje es demasiado largo (máximo 4000 caracteres) y no se envió.",
    "error.rate_limited": "Está enviando mensajes muy rápido. Espere un momento e inténtelo de nuevo.",
    "error.invalid_state": "Este chat ha finalizado y ya no se pueden enviar mensajes.",
    "error.bad_request": "El servicio no pudo aceptarlo. Revise lo que escribió.",
    "error.network": "No pudimos conectar con el servicio de chat. Compruebe su conexión e inténtelo de nuevo.",
    "error.notConnected": "No hay conexión en este momento. Inténtelo de nuevo cuando nos hayamos reconectado.",
    "error.generic": "Algo salió mal por nuestra parte. Inténtelo de nuevo.",
    "error.file": "No se pudo abrir el archivo. Puede que ya no esté disponible.",
    "error.fileTooLarge": "Ese archivo es demasiado grande para enviarlo. Los archivos pueden ocupar hasta {mb} MB.",
    "error.fileType": "Ese tipo de archivo no se puede enviar. Puede enviar imágenes (PNG, JPEG, GIF o WebP), PDF, texto, CSV, RTF y documentos de oficina (Word, Excel, PowerPoint u OpenDocument).",
    "error.fileEmpty": "Ese archivo está vacío, así que no se envió.",
    "error.upload": "No se pudo subir el archivo. Inténtelo de nuevo.",
    "composer.attach": "Adjuntar un archivo",
    "upload.busy": "Subiendo {name}…",
    "upload.pending": "Listo para subir",
    "upload.send": "Subir",
    "upload.cancel": "Cancelar",

    "gone.heading": "Este chat ya no está disponible",
    "gone.body": "Es posible que haya caducado. Puede iniciar uno nuevo cuando quiera.",

    "survey.heading": "¿Qué tal lo hicimos?",
    "survey.intro": "Dos preguntas rápidas nos ayudan a mejorar este servicio.",
    "survey.rating": "¿Cómo valoraría este chat?",
    "survey.scalePoor": "Malo",
    "survey.scaleExcellent": "Excelente",
    "survey.rating1": "1, malo",
    "survey.rating5": "5, excelente",
    "survey.answered": "¿Respondimos a su pregunta?",
    "survey.yes": "Sí",
    "survey.no": "No",
    "survey.comment": "¿Algo más que quiera decirnos?",
    "survey.submit": "Enviar opinión",
    "survey.submitting": "Enviando…",
    "survey.skip": "Omitir",
    "survey.ratingRequired": "Elija una valoración del 1 al 5.",

    "thanks.heading": "¡Gracias!",
    "thanks.body": "Su opinión nos ayuda a mejorar. Vuelva cuando tenga otra pregunta.",
    "thanks.skippedHeading": "Gracias por conversar con nosotros",
    "thanks.skippedBody": "Vuelva cuando tenga otra pregunta.",
    "left.heading": "Ha salido de la cola",
    "left.body": "Todavía no se había unido ningún bibliotecario. Inicie un chat nuevo cuando quiera.",
    "action.newChat": "Iniciar un chat nuevo",
    "action.download": "Descargar la conversación",
    "transcript.title": "Conversación del chat",
    "transcript.file": "chat-biblioteca-{date}.txt",
  },
};

export const DEFAULT_LANG = "en";

/** "es-MX" -> "es"; anything unknown -> "en". */
export function resolveLang(wanted, available = Object.keys(STRINGS)) {
  for (const candidate of [].concat(wanted || [])) {
    if (typeof candidate !== "string" || !candidate) continue;
    const lower = candidate.trim().toLowerCase();
    if (available.includes(lower)) return lower;
    const base = lower.split(/[-_]/)[0];
    if (available.includes(base)) return base;
  }
  return DEFAULT_LANG;
}

/** Replace `{name}` placeholders; unknown placeholders stay visible (a bug shows, not a blank). */
export function format(template, vars = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, key) =>
    Object.prototype.hasOwnProperty.call(vars, key) && vars[key] !== undefined && vars[key] !== null
      ? String(vars[key]) : whole);
}

/** A translator bound to one language: `t("status.active", {name})`. `t.lang` is the language. */
export function makeT(lang, strings = STRINGS) {
  const code = resolveLang(lang, Object.keys(strings));
  const table = strings[code] || {};
  const fallback = strings[DEFAULT_LANG] || {};
  const t = (key, vars) => {
    const template = table[key] ?? fallback[key] ?? key;
    return format(template, vars);
  };
  t.lang = code;
  return t;
}
