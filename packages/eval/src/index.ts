export const hello = (): string => 'eval';
