import { Alert } from "../ui/alert";

/** A form's failure message, with the field messages that have no field of their own on the form. */
export function FormError({ error, messages }: { error: string; messages: string[] }) {
  return (
    <Alert>
      {error}
      {messages.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
